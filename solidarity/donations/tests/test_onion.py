"""BTCPay over an onion address: with BTCPAY_PROXY set, every call to BTCPay goes through the
SOCKS proxy (Tor's, in production) and the host name is resolved by the proxy, never by us
(`socks5h`). A minimal SOCKS5 proxy stands in for Tor: it knows the onion name and forwards it to
the BTCPay double."""

import socket
import struct
import threading

import pytest

from solidarity.donations import providers

from .helpers import campaign

pytestmark = pytest.mark.django_db
ONION = "btcpayexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"


class Socks5:
    def __init__(self, names: dict[str, tuple[str, int]]):
        self.names, self.asked = names, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client):
        _version, methods = client.recv(2)
        client.recv(methods)
        client.sendall(b"\x05\x00")  # no authentication
        _version, _command, _reserved, kind = client.recv(4)
        assert kind == 3, "the name must reach the proxy unresolved"
        name = client.recv(client.recv(1)[0]).decode()
        port = struct.unpack(">H", client.recv(2))[0]
        self.asked.append((name, port))
        upstream = socket.create_connection(self.names[name])
        client.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack(">H", port))
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            target.close()

    def close(self):
        self.listener.close()


def test_btcpay_is_reached_through_the_proxy_by_its_onion_name(fake_btcpay, settings):
    port = int(fake_btcpay.url.rsplit(":", 1)[1])
    proxy = Socks5({ONION: ("127.0.0.1", port)})
    settings.BTCPAY_URL = f"http://{ONION}"
    settings.BTCPAY_PROXY = f"socks5h://127.0.0.1:{proxy.port}"
    try:
        target = campaign()
        link = providers.start_invoice(
            campaign_id=target.pk,
            currency="EUR",
            amount=1500,
            language="en",
            redirect_url="http://testserver/en/donate/thanks/",
            order_id="o1",
        )
        invoice_id = link.rsplit("/", 1)[1]
        assert providers.btcpay_invoice(invoice_id).amount == 1500
        assert proxy.asked == [(ONION, 80), (ONION, 80)]
    finally:
        proxy.close()


def test_without_the_proxy_an_onion_name_is_unreachable_and_says_so(fake_btcpay, settings):
    settings.BTCPAY_URL = f"http://{ONION}"
    with pytest.raises(providers.Unavailable):
        providers.btcpay_invoice("Inv000001")
