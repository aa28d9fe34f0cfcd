# Saves a spreadsheet with an opening password through LibreOffice's UNO API (soffice's
# --convert-to cannot set one for .xls). Run by gen/main.go with a python3 that has the uno
# module (Debian: /usr/bin/python3 with python3-uno, installed with libreoffice-calc).
# Usage: lo_password.py SRC DST FILTER PASSWORD
import os, subprocess, sys, time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


src, dst, filt, password = sys.argv[1:5]
pipe = "jifen_sheetgen_%d" % os.getpid()
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
                           "--accept=pipe,name=%s;urp;" % pipe])
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
ctx = None
for _ in range(120):
    try:
        ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        time.sleep(0.5)
if ctx is None:
    sys.exit("soffice did not start")
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                   (prop("Hidden", True),))
doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
               (prop("FilterName", filt), prop("Password", password)))
doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass  # the bridge goes down with soffice
office.wait(timeout=60)
