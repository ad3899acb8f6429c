/**
 * POSIX shell quoting, the same as Python's `shlex.quote`, so rendered commands match Valohai's
 * byte for byte and no value can break out of its argument.
 */

// shlex uses `[^\w@%+=:,./-]` with re.ASCII: anything else makes the string need quotes.
const UNSAFE = /[^A-Za-z0-9_@%+=:,./-]/;

export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!UNSAFE.test(s)) return s;
  // Inside single quotes nothing is special except the quote itself, which is closed, escaped, reopened.
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
