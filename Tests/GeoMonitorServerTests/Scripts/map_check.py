#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (standard library only) to check the
web map: it loads /map, waits for the choropleth, zooms in with the mouse wheel, and reports as
JSON: console errors and exceptions, the project requests the page made (with their bbox) before
and after the zoom, the localities and plots drawn, and a PNG screenshot written to SCREENSHOT.

usage: map_check.py CHROMIUM URL SCREENSHOT [ZOOM_STEPS]
Loopback only: URL must be on 127.0.0.1 or localhost."""
import base64, json, os, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.parse, urllib.request

chromium, url, shot = sys.argv[1], sys.argv[2], sys.argv[3]
zoom_steps = int(sys.argv[4]) if len(sys.argv) > 4 else 1
assert urllib.parse.urlparse(url).hostname in ("127.0.0.1", "localhost"), "loopback only"

profile = tempfile.mkdtemp(prefix="gm-cdp-")
proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                         "--user-data-dir=" + profile, "--window-size=1200,850", "about:blank"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

class WS:
    """A minimal RFC 6455 client: text frames, masked, no extensions."""
    def __init__(self, ws_url):
        u = urllib.parse.urlparse(ws_url)
        self.s = socket.create_connection((u.hostname, u.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (u.path, u.hostname, u.port, key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.s.recv(1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.buf = b""
    def send(self, obj):
        data = json.dumps(obj).encode()
        n = len(data)
        hdr = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else bytes([0x80 | 127]) + struct.pack(">Q", n))
        mask = os.urandom(4)
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
    def _read(self, n):
        while len(self.buf) < n:
            d = self.s.recv(1 << 20)
            if not d: raise EOFError
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out
    def recv(self):
        msg = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126: n = struct.unpack(">H", self._read(2))[0]
            elif n == 127: n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            msg += payload
            if b0 & 0x80: break
        return json.loads(msg)

result = {"errors": [], "before": [], "after": []}
try:
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1: break
        time.sleep(0.1)
    port = int(open(port_file).read().split("\n")[0])
    targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port))
    page = next(t for t in targets if t["type"] == "page")
    ws = WS(page["webSocketDebuggerUrl"])
    seq = [0]
    events = []
    def call(method, params=None, timeout=60):
        seq[0] += 1
        ws.send({"id": seq[0], "method": method, "params": params or {}})
        end = time.time() + timeout
        while time.time() < end:
            m = ws.recv()
            if m.get("id") == seq[0]:
                if "error" in m: raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            events.append(m)
        raise TimeoutError(method)
    def pump(seconds):
        ws.s.settimeout(0.2)
        end = time.time() + seconds
        while time.time() < end:
            try: events.append(ws.recv())
            except (socket.timeout, TimeoutError): pass
        ws.s.settimeout(60)
    def evaluate(expr):
        return call("Runtime.evaluate", {"expression": expr, "returnByValue": True}).get("result", {}).get("value")
    def wait_for(expr, seconds):
        end = time.time() + seconds
        while time.time() < end:
            if evaluate(expr): return True
            pump(0.3)
        return False
    for domain in ("Runtime", "Log", "Network", "Page"):
        call(domain + ".enable")
    call("Page.navigate", {"url": url})
    result["loaded"] = wait_for("!!(window.geomonitor && geomonitor.localities > 0 && geomonitor.bboxRequests.length > 0 && document.getElementById('status').textContent.indexOf('…') < 0)", 60)
    pump(1.0)
    def project_requests():
        return [e["params"]["request"]["url"] for e in events
                if e.get("method") == "Network.requestWillBeSent" and "/collections/projects/items" in e["params"]["request"]["url"]]
    result["before"] = project_requests()
    result["localities"] = evaluate("geomonitor.localities")
    result["plotsBefore"] = evaluate("geomonitor.plots")
    zoom0 = evaluate("geomonitor.map.getZoom()")
    # Zoom in as a user does: the mouse wheel over the map's centre.
    for _ in range(zoom_steps):
        call("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": 600, "y": 450, "deltaX": 0, "deltaY": -100})
        pump(0.8)
    wait_for("geomonitor.map.getZoom() > %s" % json.dumps(zoom0), 10)
    n0 = len(result["before"])
    wait_for("geomonitor.bboxRequests.length > %d" % n0, 15)
    pump(2.0)
    result["zoomBefore"], result["zoomAfter"] = zoom0, evaluate("geomonitor.map.getZoom()")
    result["after"] = project_requests()[n0:]
    result["plotsAfter"] = evaluate("geomonitor.plots")
    result["status"] = evaluate("document.getElementById('status').textContent")
    result["statusIsError"] = evaluate("document.getElementById('status').className === 'err'")
    result["leaflet"] = evaluate("typeof L === 'object' && L.version")
    result["scaleControl"] = evaluate("!!document.querySelector('.leaflet-control-scale')")
    result["localityPaths"] = evaluate("document.querySelectorAll('path.leaflet-interactive').length")
    # Click the map's centre: a popup with figures opens.
    call("Input.dispatchMouseEvent", {"type": "mousePressed", "x": 600, "y": 450, "button": "left", "clickCount": 1})
    call("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": 600, "y": 450, "button": "left", "clickCount": 1})
    pump(1.0)
    result["popup"] = evaluate("(document.querySelector('.leaflet-popup-content') || {}).textContent || ''")
    png = call("Page.captureScreenshot", {"format": "png"})["data"]
    with open(shot, "wb") as f: f.write(base64.b64decode(png))
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            result["errors"].append(p["exceptionDetails"].get("exception", {}).get("description") or p["exceptionDetails"].get("text"))
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            result["errors"].append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
            result["errors"].append(p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
        elif m == "Network.responseReceived" and p["response"]["status"] >= 400:
            result["errors"].append("HTTP %d %s" % (p["response"]["status"], p["response"]["url"]))
except Exception as e:
    result["failure"] = "%s: %s" % (type(e).__name__, e)
finally:
    proc.terminate()
    try: proc.wait(10)
    except subprocess.TimeoutExpired: proc.kill()
    shutil.rmtree(profile, ignore_errors=True)
print(json.dumps(result))
