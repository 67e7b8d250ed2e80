"""moto's server (the application moto_server runs), answering one request at a time.

Usage: python3 serial_moto_server.py HOST PORT [CERT KEY]   (with a PEM certificate and key: HTTPS)
       python3 serial_moto_server.py --check     (exits 0 if it can run, else prints why and exits 3)

moto_server serves each request on its own thread, and moto's DynamoDB checks a write's condition and stores the
item in two steps with no lock between them: two concurrent conditional writes of one key can both pass (seen in
the store's contract test, two winners of sixteen first writes). DynamoDB applies every conditional write
atomically; serving the requests one by one gives the tests that guarantee. Everything else is moto_server's.
"""
import signal
import sys

try:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple
except ImportError as e:
    # One line, the reason (e.g. No module named 'moto'): the last line of the server's log, which the tests quote.
    print(e, file=sys.stderr)
    sys.exit(3)


def main() -> None:
    if sys.argv[1:] == ["--check"]:
        return
    host, port = sys.argv[1], int(sys.argv[2])
    tls = (sys.argv[3], sys.argv[4]) if len(sys.argv) == 5 else None
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    run_simple(host, port, DomainDispatcherApplication(create_backend_app), threaded=False, ssl_context=tls)


if __name__ == "__main__":
    main()
