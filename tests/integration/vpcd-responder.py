#!/usr/bin/env python3
"""A minimal card on the vpcd socket: answers the ATR given on the command
line and 6D00 to every APDU.  It shares nothing with uicc-sim, so the
transport test does not depend on the simulator."""
import socket, struct, sys, time

port, atr = int(sys.argv[1]), bytes.fromhex(sys.argv[2])
while True:
    try:
        s = socket.create_connection(("127.0.0.1", port))
        break
    except OSError:
        time.sleep(0.1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

def recv(n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            sys.exit(0)
        b += c
    return b

while True:
    (n,) = struct.unpack(">H", recv(2))
    msg = recv(n)
    if n == 1:
        if msg[0] == 4:
            s.sendall(struct.pack(">H", len(atr)) + atr)
        continue
    s.sendall(struct.pack(">H", 2) + b"\x6d\x00")
