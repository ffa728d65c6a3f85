#!/usr/bin/env python3
"""TNDS documents for the tree benches.

gen_tnds.py OUT TAG NPROXIES: one account DMAcc/A<TAG> (ServerID s-<TAG>)
and one ConnMO Big<TAG> with NPROXIES interior nodes of 3 leaves each:
4*NPROXIES + 6 nodes."""
import sys

out, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])


def leaf(name, value):
    return ("<Node><NodeName>%s</NodeName><RTProperties><Format><chr/></Format><Type><MIME>"
            "text/plain</MIME></Type></RTProperties><Value>%s</Value></Node>" % (name, value))


def interior(name, kids, path=None, ddf=""):
    p = "<Path>%s</Path>" % path if path else ""
    return ("<Node><NodeName>%s</NodeName>%s<RTProperties><Format><node/></Format><Type>"
            "<DDFName>%s</DDFName></Type></RTProperties>%s</Node>" % (name, p, ddf, kids))


acc = interior("A" + tag, leaf("AppID", "w7") + leaf("ServerID", "s-" + tag) +
               leaf("PrefConRef", "./ConnMO/Big" + tag), "./DMAcc",
               "org.openmobilealliance/1.0/w7")
proxies = "".join(interior("p%d" % i, leaf("Addr", "proxy%d.example" % i) +
                           leaf("Port", str(8000 + i)) + leaf("Name", "proxy %d" % i))
                  for i in range(n))
con = interior("Big" + tag, proxies, "./ConnMO", "org.openmobilealliance/1.0/ConnMO")
with open(out, "w") as f:
    f.write('<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD>\n%s\n%s\n</MgmtTree>\n'
            % (acc, con))
