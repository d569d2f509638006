# free_tcp_ports N: N distinct TCP ports that a server can bind on all addresses right now, on
# one line. For daemons that cannot pick their own port (slurmctld, slurmd, docker-registry).
# The ports come from below the kernel's ephemeral range: a port in that range may be held at
# any moment by some outgoing connection (CI saw slurmctld lose three random ports in a row to
# them), and a connect probe would not see such a socket. Each port is checked by binding it.
free_tcp_ports() {
  /usr/bin/python3 - "$1" <<'PY'
import random, socket, sys
want = int(sys.argv[1])
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    low = int(f.read().split()[0])
low = max(low, 12000)
ports = []
for port in random.sample(range(10000, low), min(400, low - 10000)):
    with socket.socket() as s:
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            continue
    ports.append(port)
    if len(ports) == want:
        print(*ports)
        sys.exit(0)
sys.exit(1)
PY
}
