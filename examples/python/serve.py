"""Endpoint `predict`: POST /predict {"pixels": [64 numbers]} or {"instances": [[...], ...]}; GET /healthz.

MODEL_PATH (default model.pkl, where the endpoint's `files` entry puts it), PORT (default 8000; 0 picks a
free one), HOST (default 0.0.0.0, as Valohai endpoints must bind)."""
import json
import os
import pickle
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

with open(os.environ.get("MODEL_PATH", "model.pkl"), "rb") as f:
    BUNDLE = pickle.load(f)
FEATURES = len(BUNDLE["features"])


def predict(rows):
    for row in rows:
        if not isinstance(row, list) or len(row) != FEATURES or not all(isinstance(v, (int, float)) for v in row):
            raise ValueError(f"each instance must be a list of {FEATURES} numbers")
    model = BUNDLE["model"]
    labels = model.predict(rows)
    probabilities = model.predict_proba(rows)
    return [{"prediction": int(label), "confidence": round(float(max(p)), 6)} for label, p in zip(labels, probabilities)]


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/healthz":
            self._send(200, {"status": "ok", "model": BUNDLE["params"].get("model")})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/predict":
            return self._send(404, {"error": "not found"})
        try:
            length = int(self.headers.get("Content-Length", "0"))
            if length > 1_000_000:
                return self._send(413, {"error": "request body too large"})
            body = json.loads(self.rfile.read(length) or b"{}")
            if "pixels" in body:
                return self._send(200, predict([body["pixels"]])[0])
            if "instances" in body:
                return self._send(200, {"predictions": predict(body["instances"])})
            return self._send(400, {"error": 'send {"pixels": [...]} or {"instances": [[...], ...]}'})
        except (ValueError, TypeError) as error:
            return self._send(400, {"error": str(error)})

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer((os.environ.get("HOST", "0.0.0.0"), int(os.environ.get("PORT", "8000"))), Handler)
host, port = server.server_address[:2]
print(f"serving on http://{host}:{port}", flush=True)
server.serve_forever()
