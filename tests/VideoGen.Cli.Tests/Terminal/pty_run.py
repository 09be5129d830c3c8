"""Runs a command on a real pseudo-terminal and sends it Ctrl+C the way a terminal does.

usage: pty_run.py --wait-for TEXT --at SECONDS[,SECONDS...] --timeout SECONDS -- command [args...]

The command's standard input, output and error are the pty (a terminal, 120x40, TERM=xterm-256color). Once TEXT has
appeared in its output, the byte 0x03 is written to the pty at each offset in --at (seconds after TEXT appeared): the
terminal's line discipline turns it into SIGINT for the command's process group, as pressing Ctrl+C does. Prints one
JSON object: exitCode (negative: killed by that signal), sawText, aliveAtInterrupts (was the process running when each
Ctrl+C was sent), secondsAfterLastInterrupt (until it exited), output (everything the terminal received).
"""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

args = sys.argv[1:]
split = args.index("--")
opts = dict(zip(args[:split:2], args[1:split:2]))
command = args[split + 1:]
wait_for = opts["--wait-for"].encode()
offsets = [float(x) for x in opts["--at"].split(",") if x]
deadline = time.time() + float(opts["--timeout"])

pid, fd = pty.fork()
if pid == 0:
    # A shell starts a foreground command with Ctrl+C's default action; a runner started in the background without job
    # control (`cmd &` in a script) passes SIGINT/SIGQUIT down ignored, and .NET keeps an inherited ignore.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
    os.environ["TERM"] = "xterm-256color"
    os.execvp(command[0], command)

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
output = bytearray()
status = None


def pump(seconds):
    """Reads what the terminal receives for up to `seconds`; returns False once the pty is closed."""
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return True
        ready, _, _ = select.select([fd], [], [], min(left, 0.05))
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return False
            if not data:
                return False
            output.extend(data)


def reap():
    global status
    if status is None:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = raw
    return status is not None


saw = False
while time.time() < deadline and not reap():
    if wait_for in output:
        saw = True
        break
    pump(0.05)

alive = []
sent_last = None
if saw:
    start = time.time()
    for offset in offsets:
        pump(max(0.0, start + offset - time.time()))
        alive.append(not reap())
        os.write(fd, b"\x03")
        sent_last = time.time()

while not reap() and time.time() < deadline:
    pump(0.05)
if status is None:
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
exited = time.time()
pump(0.3)

print(json.dumps({
    "exitCode": os.waitstatus_to_exitcode(status),
    "sawText": saw,
    "aliveAtInterrupts": alive,
    "secondsAfterLastInterrupt": None if sent_last is None else round(exited - sent_last, 3),
    "output": output.decode("utf-8", "replace"),
}))
