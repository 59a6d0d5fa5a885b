"""A stand-in for the Central Publisher Portal's upload endpoint, for .ci/release-check.

central-publishing-maven-plugin (with -DcentralBaseUrl=http://127.0.0.1:PORT -DwaitUntil=UPLOADED)
posts the signed bundle to POST /api/v1/publisher/upload as the multipart field "bundle". This
server saves that field's bytes to the file given, answers with a deployment id, and exits after
one upload. Usage: python3 fake-portal.py PORT_FILE BUNDLE_FILE
"""
import http.server
import sys

port_file, bundle_file = sys.argv[1], sys.argv[2]


class Portal(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        boundary = self.headers["Content-Type"].split("boundary=")[1].strip('"').encode()
        for part in body.split(b"--" + boundary):
            head, _, data = part.partition(b"\r\n\r\n")
            if b'name="bundle"' in head:
                with open(bundle_file, "wb") as f:
                    f.write(data[:-2] if data.endswith(b"\r\n") else data)
        answer = b"00000000-0000-0000-0000-000000000000"
        self.send_response(201)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        self.server.uploaded = True

    def log_message(self, fmt, *args):
        sys.stderr.write("fake portal: " + fmt % args + "\n")


server = http.server.HTTPServer(("127.0.0.1", 0), Portal)
server.uploaded = False
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
while not server.uploaded:
    server.handle_request()
