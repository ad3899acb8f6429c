// Resolves Azure Blob Storage hostnames (`<account>.blob.core.windows.net`) to loopback, so the signed URLs
// the test results service hands out look like GitHub's (and @actions/cache takes its Azure SDK download
// path, which it chooses by that hostname suffix) while the requests reach Azurite on the port the URL names.
// Loaded with `node --import <this file>` by the processes the tests start (through NODE_OPTIONS) and
// imported by the test process itself. Every other name resolves as before. No root, no /etc/hosts edit.
import dns from 'node:dns';

const SUFFIX = '.blob.core.windows.net';
const marker = Symbol.for('mlops.test.azure-blob-dns');

function mapped(hostname) {
  return typeof hostname === 'string' && hostname.toLowerCase().endsWith(SUFFIX);
}

if (!dns.lookup[marker]) {
  const originalLookup = dns.lookup;
  const lookup = function lookup(hostname, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = {};
    }
    if (!mapped(hostname)) return originalLookup.call(dns, hostname, options, callback);
    const all = typeof options === 'object' && options !== null && options.all === true;
    if (all) process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
    else process.nextTick(callback, null, '127.0.0.1', 4);
    return undefined;
  };
  lookup[marker] = true;
  dns.lookup = lookup;

  const originalPromiseLookup = dns.promises.lookup;
  dns.promises.lookup = async function promiseLookup(hostname, options) {
    if (!mapped(hostname)) return originalPromiseLookup.call(dns.promises, hostname, options);
    const all = typeof options === 'object' && options !== null && options.all === true;
    return all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 };
  };
}
