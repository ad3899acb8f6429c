/**
 * The source of the spawn helper (spawn-server.ts), run as `python3 -I -S -c <source>`: isolated from the
 * user's PYTHON* variables and site packages, no imports beyond the standard library's built-ins.
 *
 * Why Python: its `os.posix_spawn` is the one widely installed way to reach posix_spawn(3) (vfork-based in
 * glibc: no copy of the parent's page tables) from a process that is not the runner. The helper forks
 * nothing itself, so starting a step costs the runner one pipe write instead of a fork of itself.
 *
 * Protocol. Runner → helper, on stdin, one JSON object per line:
 *   {"id": n, "file": f, "argv": [...], "cwd": d, "env": [[k, v], ...]}
 * with every string the latin-1 spelling of its UTF-8 bytes (so the bytes reach the step exactly as Node's
 * spawn would pass them, whatever the helper's locale). Helper → runner, on stdout, binary frames:
 *   type (1 byte) | id (uint32 BE) | payload length (uint32 BE) | payload
 *   R ready (payload: the helper's pid, uint32) · S spawned (pid, uint32) · F failed to spawn (errno name) ·
 *   O / E stdout / stderr bytes · o / e stdout / stderr end · X reaped (code int32, -1 when signalled; signal
 *   number int32, 0 when it exited).
 * The helper exits when its stdin ends (the runner is gone); the steps it started keep running, as Node's
 * detached children do.
 */
export const SPAWN_HELPER_SOURCE = String.raw`
import errno, json, os, selectors, signal, struct, sys

if sys.version_info < (3, 8) or not hasattr(os, 'posix_spawn'):
    sys.exit(3)

signal.signal(signal.SIGINT, signal.SIG_IGN)
wake_r, wake_w = os.pipe()
os.set_blocking(wake_r, False)
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
signal.signal(signal.SIGCHLD, lambda signo, frame: None)
# The step starts as Node's spawn starts it: every disposition default (the helper ignores SIGINT, Python
# ignores SIGPIPE and SIGXFSZ), nothing blocked.
SIGDEF = set(signal.valid_signals()) - {signal.SIGKILL, signal.SIGSTOP}
HEADER = struct.Struct('>cII')
session = {'setsid': True}

out = []

def frame(kind, ident, payload=b''):
    out.append(HEADER.pack(kind, ident, len(payload)))
    if payload:
        out.append(payload)

def flush():
    if not out:
        return
    data = memoryview(b''.join(out))
    out.clear()
    while data:
        written = os.write(1, data)
        data = data[written:]

sel = selectors.DefaultSelector()
children = {}  # pid -> id
streams = {}  # read fd -> (id, data kind, end kind)

def errno_name(error):
    return errno.errorcode.get(error.errno, 'UNKNOWN').encode()

def start(request):
    ident = request['id']
    encode = lambda text: text.encode('latin-1')
    try:
        os.chdir(encode(request['cwd']))
    except OSError as error:
        frame(b'F', ident, errno_name(error))
        return
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, b'/dev/null', os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, out_w, 1),
        (os.POSIX_SPAWN_DUP2, err_w, 2),
    ]
    env = {encode(k): encode(v) for k, v in request['env']}
    try:
        try:
            pid = os.posix_spawn(encode(request['file']), [encode(a) for a in request['argv']], env,
                                 file_actions=actions, setsigdef=SIGDEF, setsigmask=(), **session)
        except NotImplementedError:
            # No POSIX_SPAWN_SETSID (older macOS): a process group of its own is what stopping needs.
            session.clear()
            session['setpgroup'] = 0
            pid = os.posix_spawn(encode(request['file']), [encode(a) for a in request['argv']], env,
                                 file_actions=actions, setsigdef=SIGDEF, setsigmask=(), **session)
    except OSError as error:
        for fd in (out_r, out_w, err_r, err_w):
            os.close(fd)
        frame(b'F', ident, errno_name(error))
        return
    os.close(out_w)
    os.close(err_w)
    children[pid] = ident
    frame(b'S', ident, struct.pack('>I', pid))
    streams[out_r] = (ident, b'O', b'o')
    streams[err_r] = (ident, b'E', b'e')
    sel.register(out_r, selectors.EVENT_READ)
    sel.register(err_r, selectors.EVENT_READ)

def reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        ident = children.pop(pid, None)
        if ident is None:
            continue
        if os.WIFSIGNALED(status):
            frame(b'X', ident, struct.pack('>ii', -1, os.WTERMSIG(status)))
        else:
            frame(b'X', ident, struct.pack('>ii', os.WEXITSTATUS(status), 0))

try:
    # Fewer round trips for a step's megabytes of output (Linux; the runner reads as fast as it can).
    import fcntl
    fcntl.fcntl(1, getattr(fcntl, 'F_SETPIPE_SZ', 1031), 1 << 20)
except (ImportError, OSError):
    pass
os.set_blocking(0, False)
sel.register(0, selectors.EVENT_READ)
sel.register(wake_r, selectors.EVENT_READ)
pending = b''
frame(b'R', 0, struct.pack('>I', os.getpid()))
flush()
while True:
    for key, _ in sel.select():
        fd = key.fd
        if fd == 0:
            try:
                chunk = os.read(0, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                os._exit(0)
            lines = (pending + chunk).split(b'\n')
            pending = lines.pop()
            for line in lines:
                start(json.loads(line.decode('utf-8')))
        elif fd == wake_r:
            try:
                while os.read(wake_r, 4096):
                    pass
            except BlockingIOError:
                pass
            reap()
        else:
            ident, data_kind, end_kind = streams[fd]
            chunk = os.read(fd, 1 << 16)
            if chunk:
                frame(data_kind, ident, chunk)
            else:
                sel.unregister(fd)
                os.close(fd)
                del streams[fd]
                frame(end_kind, ident)
    # A child reaped while its pipes were being read: SIGCHLD may already have been drained.
    reap()
    flush()
`;
