"""Test doubles of the payment providers at the HTTP layer: real HTTP servers on 127.0.0.1 that
speak enough of Stripe's API and BTCPay's Greenfield API for our code (and the real `stripe`
SDK) to talk to them as to the real ones. Tests change the providers' state with the helpers
(`pay`, `refund`, `settle`...) and make webhook deliveries signed as the providers sign them."""

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import stripe
from django.db import connection
from django.test import Client

STRIPE_KEY = "sk_test_fake"
STRIPE_WEBHOOK_SECRET = "whsec_test_fake"
BTCPAY_STORE = "StoreFake1"
BTCPAY_KEY = "btcpay-key-fake"
BTCPAY_WEBHOOK_SECRET = "btcpay-webhook-secret-fake"


class _Server:
    """One HTTP server in a thread; `routes` are (method, regex) -> f(match, query, body) -> (status, obj)."""

    def __init__(self):
        self.lock = threading.RLock()
        self.requests: list[tuple[str, str]] = []
        self.down = False  # answers 500 to everything while set
        self._ids = itertools.count(1)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                with owner.lock:
                    owner.requests.append((method, parts.path))
                    status, payload, content_type = owner.answer(
                        method, parts.path, parse_qs(parts.query), body, self.headers
                    )
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_DELETE(self):
                self._serve("DELETE")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def answer(self, method, path, query, body, headers):
        if path == "/favicon.ico":  # what a browser asks of any page, the provider's too
            return 204, "", "image/x-icon"
        if self.down:
            return 500, {"error": {"message": "down"}}, "application/json"
        for (route_method, pattern), handler in self.routes().items():
            match = re.fullmatch(pattern, path)
            if match and method == route_method:
                status, obj = handler(match, query, body, headers)
                if isinstance(obj, str):
                    return status, obj, "text/html; charset=utf-8"
                return status, obj, "application/json"
        return (
            404,
            {"error": {"message": "no such route", "type": "invalid_request_error"}},
            "application/json",
        )

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _missing():
    return 404, {
        "error": {"message": "No such object", "type": "invalid_request_error", "code": "resource_missing"}
    }


class FakeStripe(_Server):
    def __init__(self):
        super().__init__()
        self.sessions: dict[str, dict] = {}
        self.intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.disputes: list[dict] = []
        self.invoices: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.events: dict[str, dict] = {}
        self.payouts: dict[str, dict] = {}
        self.transactions: dict[str, list[dict]] = {}  # by payout

    def routes(self):
        return {
            ("POST", r"/v1/checkout/sessions"): self._create_session,
            ("GET", r"/v1/checkout/sessions/([\w-]+)"): lambda m, *_: self._get(self.sessions, m[1]),
            ("GET", r"/v1/payment_intents/([\w-]+)"): self._get_intent,
            ("GET", r"/v1/charges/([\w-]+)"): lambda m, *_: self._get(self.charges, m[1]),
            ("GET", r"/v1/disputes"): self._list_disputes,
            ("GET", r"/v1/invoices/([\w-]+)"): lambda m, *_: self._get(self.invoices, m[1]),
            ("GET", r"/v1/subscriptions/([\w-]+)"): lambda m, *_: self._get(self.subscriptions, m[1]),
            ("DELETE", r"/v1/subscriptions/([\w-]+)"): self._cancel,
            ("GET", r"/v1/events/([\w-]+)"): lambda m, *_: self._get(self.events, m[1]),
            ("GET", r"/v1/payouts/([\w-]+)"): lambda m, *_: self._get(self.payouts, m[1]),
            ("GET", r"/v1/balance_transactions"): self._list_transactions,
            ("GET", r"/checkout/([\w-]+)"): lambda m, *_: (
                200,
                "<!doctype html><title>Checkout</title><h1>Stripe Checkout (a test double)</h1>",
            ),
        }

    def _get(self, store, key):
        return (200, store[key]) if key in store else _missing()

    def _create_session(self, match, query, body, headers):
        if headers.get("Authorization") != f"Bearer {STRIPE_KEY}":
            return 401, {"error": {"message": "bad key", "type": "invalid_request_error"}}
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        session_id = self.new_id("cs_test_")
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "mode": form["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "url": f"{self.url}/checkout/{session_id}",
            "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
            "currency": form["line_items[0][price_data][currency]"],
            "metadata": {"campaign": form.get("metadata[campaign]", "")},
            "recurring": form.get("line_items[0][price_data][recurring][interval]"),
            "product": form.get("line_items[0][price_data][product_data][name]"),
            "success_url": form["success_url"],
            "payment_intent": None,
            "subscription": None,
            "invoice": None,
            "customer_details": None,
        }
        return 200, self.sessions[session_id]

    def _get_intent(self, match, query, body, headers):
        intent = self.intents.get(match[1])
        if intent is None:
            return _missing()
        shown = dict(intent)
        if any("latest_charge" in value for values in query.values() for value in values):
            shown["latest_charge"] = self.charges[intent["latest_charge"]]
        return 200, shown

    def _list_disputes(self, match, query, body, headers):
        intent = (query.get("payment_intent") or [""])[0]
        return 200, {
            "object": "list",
            "data": [d for d in self.disputes if d["payment_intent"] == intent],
            "has_more": False,
            "url": "/v1/disputes",
        }

    def _list_transactions(self, match, query, body, headers):
        every = self.transactions.get((query.get("payout") or [""])[0], [])
        after = (query.get("starting_after") or [None])[0]
        start = next((i + 1 for i, t in enumerate(every) if t["id"] == after), 0)
        limit = int((query.get("limit") or ["10"])[0])
        page = every[start : start + limit]
        return 200, {
            "object": "list",
            "data": page,
            "has_more": start + limit < len(every),
            "url": "/v1/balance_transactions",
        }

    def payout(self, intents: list[str], *, fee_per_payment: int = 50, page_size: int = 100) -> str:
        """A payout carrying these payments (and their refunds), Stripe's fee taken from each."""
        with self.lock:
            payout_id = self.new_id("po_")
            lines = []
            for intent in intents:
                charge = self.charges[self.intents[intent]["latest_charge"]]
                source = {"object": "charge", "id": charge["id"], "payment_intent": intent}
                lines.append(
                    {
                        "id": self.new_id("txn_"),
                        "object": "balance_transaction",
                        "type": "charge",
                        "amount": charge["amount"],
                        "fee": fee_per_payment,
                        "net": charge["amount"] - fee_per_payment,
                        "source": source,
                    }
                )
                if charge["amount_refunded"]:
                    lines.append(
                        {
                            "id": self.new_id("txn_"),
                            "object": "balance_transaction",
                            "type": "refund",
                            "amount": -charge["amount_refunded"],
                            "fee": 0,
                            "net": -charge["amount_refunded"],
                            "source": {
                                "object": "refund",
                                "id": self.new_id("re_"),
                                "payment_intent": intent,
                            },
                        }
                    )
            self.transactions[payout_id] = lines
            self.payouts[payout_id] = {
                "id": payout_id,
                "object": "payout",
                "amount": sum(line["net"] for line in lines),
                "currency": "eur",
                "arrival_date": int(time.time()),
                "status": "paid",
            }
            return payout_id

    def _cancel(self, match, query, body, headers):
        subscription = self.subscriptions.get(match[1])
        if subscription is None:
            return _missing()
        subscription["status"] = "canceled"
        return 200, subscription

    # --- what happens at Stripe -------------------------------------------------------------

    def payment(self, amount: int, currency: str, metadata: dict) -> str:
        """A succeeded PaymentIntent and its charge; the intent's id."""
        with self.lock:
            intent_id, charge_id = self.new_id("pi_"), self.new_id("ch_")
            self.charges[charge_id] = {
                "id": charge_id,
                "object": "charge",
                "amount": amount,
                "amount_refunded": 0,
                "disputed": False,
                "payment_intent": intent_id,
            }
            self.intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "status": "succeeded",
                "amount": amount,
                "amount_received": amount,
                "currency": currency,
                "metadata": metadata,
                "created": int(time.time()),
                "latest_charge": charge_id,
            }
            return intent_id

    def pay(self, session_id: str) -> str:
        """The donor pays on Checkout: the session completes; the PaymentIntent's id (or, for a
        monthly gift, the first invoice's)."""
        with self.lock:
            session = self.sessions[session_id]
            session.update(
                status="complete",
                payment_status="paid",
                customer_details={"email": "donor@example.org", "name": "Ivan Donorov"},
            )
            if session["mode"] == "payment":
                session["payment_intent"] = self.payment(
                    session["amount_total"], session["currency"], session["metadata"]
                )
                return session["payment_intent"]
            subscription_id = self.new_id("sub_")
            self.subscriptions[subscription_id] = {
                "id": subscription_id,
                "object": "subscription",
                "status": "active",
                "metadata": session["metadata"],
                "created": int(time.time()),
            }
            session["subscription"] = subscription_id
            session["invoice"] = self.invoice(subscription_id, session["amount_total"], session["currency"])
            return session["invoice"]

    def invoice(self, subscription_id: str, amount: int, currency: str, *, shape: str = "new") -> str:
        """A paid invoice of a subscription, as the newer API versions show it (or the older, "old")."""
        with self.lock:
            invoice_id = self.new_id("in_")
            intent = self.payment(amount, currency, {})  # invoice payments carry no metadata of ours
            invoice = {
                "id": invoice_id,
                "object": "invoice",
                "status": "paid",
                "amount_paid": amount,
                "currency": currency,
            }
            if shape == "old":
                invoice.update(payment_intent=intent, subscription=subscription_id)
            else:
                invoice["parent"] = {
                    "type": "subscription_details",
                    "subscription_details": {"subscription": subscription_id, "metadata": {}},
                }
                invoice["payments"] = {
                    "object": "list",
                    "data": [
                        {
                            "object": "invoice_payment",
                            "payment": {"type": "payment_intent", "payment_intent": intent},
                        }
                    ],
                }
            self.invoices[invoice_id] = invoice
            return invoice_id

    def intent_of_invoice(self, invoice_id: str) -> str:
        invoice = self.invoices[invoice_id]
        return invoice.get("payment_intent") or invoice["payments"]["data"][0]["payment"]["payment_intent"]

    def refund(self, intent_id: str, amount: int) -> str:
        with self.lock:
            charge = self.charges[self.intents[intent_id]["latest_charge"]]
            charge["amount_refunded"] = min(charge["amount"], charge["amount_refunded"] + amount)
            return charge["id"]

    def dispute(self, intent_id: str, amount: int, status: str = "needs_response") -> dict:
        with self.lock:
            charge = self.charges[self.intents[intent_id]["latest_charge"]]
            charge["disputed"] = True
            dispute = {
                "id": self.new_id("dp_"),
                "object": "dispute",
                "amount": amount,
                "status": status,
                "charge": charge["id"],
                "payment_intent": intent_id,
            }
            self.disputes.append(dispute)
            return dispute

    # --- webhooks ---------------------------------------------------------------------------

    def event(self, kind: str, data_object: dict, event_id: str | None = None) -> dict:
        event = {
            "id": event_id or self.new_id("evt_"),
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "data": {"object": data_object},
        }
        self.events[event["id"]] = event
        return event

    def delivery(
        self, event: dict, *, secret: str = STRIPE_WEBHOOK_SECRET, timestamp: int | None = None
    ) -> tuple[bytes, str]:
        """The body and the `Stripe-Signature` header, made by Stripe's own SDK."""
        payload = json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(
            payload, secret, timestamp=timestamp or int(time.time())
        )
        return payload.encode(), header


class FakeBTCPay(_Server):
    def __init__(self):
        super().__init__()
        self.invoices: dict[str, dict] = {}

    def routes(self):
        return {
            ("POST", rf"/api/v1/stores/{BTCPAY_STORE}/invoices"): self._create,
            ("GET", rf"/api/v1/stores/{BTCPAY_STORE}/invoices"): self._list,
            ("GET", rf"/api/v1/stores/{BTCPAY_STORE}/invoices/([\w-]+)"): self._get,
            ("GET", r"/i/([\w-]+)"): lambda m, *_: (
                200,
                "<!doctype html><title>Invoice</title><h1>BTCPay invoice (a test double)</h1>",
            ),
        }

    def _authorised(self, headers) -> bool:
        return headers.get("Authorization") == f"token {BTCPAY_KEY}"

    def _create(self, match, query, body, headers):
        if not self._authorised(headers):
            return 401, {"message": "unauthorised"}
        request = json.loads(body)
        invoice_id = self.new_id("Inv")
        self.invoices[invoice_id] = {
            "id": invoice_id,
            "storeId": BTCPAY_STORE,
            "amount": request["amount"],
            "currency": request["currency"],
            "status": "New",
            "additionalStatus": "None",
            "metadata": request.get("metadata", {}),
            "checkoutLink": f"{self.url}/i/{invoice_id}",
            "createdTime": int(time.time()),
            "redirectURL": request.get("checkout", {}).get("redirectURL"),
        }
        return 200, self.invoices[invoice_id]

    def _list(self, match, query, body, headers):
        if not self._authorised(headers):
            return 401, {"message": "unauthorised"}
        orders = set(query.get("orderId", []))
        return 200, [i for i in self.invoices.values() if i["metadata"].get("orderId") in orders]

    def _get(self, match, query, body, headers):
        if not self._authorised(headers):
            return 401, {"message": "unauthorised"}
        invoice = self.invoices.get(match[1])
        return (200, invoice) if invoice else (404, {"code": "invoice-not-found"})

    def set_status(self, invoice_id: str, status: str) -> None:
        with self.lock:
            self.invoices[invoice_id]["status"] = status

    def delivery(
        self,
        kind: str,
        invoice_id: str,
        *,
        delivery_id: str | None = None,
        original: str | None = None,
        secret: str = BTCPAY_WEBHOOK_SECRET,
    ) -> tuple[bytes, str]:
        delivery_id = delivery_id or self.new_id("Del")
        body = json.dumps(
            {
                "deliveryId": delivery_id,
                "webhookId": "Hook1",
                "originalDeliveryId": original or delivery_id,
                "isRedelivery": original is not None,
                "type": kind,
                "timestamp": int(time.time()),
                "storeId": BTCPAY_STORE,
                "invoiceId": invoice_id,
                "metadata": self.invoices.get(invoice_id, {}).get("metadata", {}),
            }
        ).encode()
        return body, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@contextmanager
def stripe_double(settings):
    """A FakeStripe, and the settings that send our code to it (pytest-django's `settings`)."""
    server = FakeStripe()
    settings.STRIPE_SECRET_KEY = STRIPE_KEY
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_CHECKOUT_ORIGIN = server.url
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def btcpay_double(settings):
    server = FakeBTCPay()
    settings.BTCPAY_URL = server.url
    settings.BTCPAY_STORE_ID = BTCPAY_STORE
    settings.BTCPAY_API_KEY = BTCPAY_KEY
    settings.BTCPAY_WEBHOOK_SECRET = BTCPAY_WEBHOOK_SECRET
    try:
        yield server
    finally:
        server.stop()


def deliver_concurrently(
    deliveries: list[tuple[bytes, str]], workers: int
) -> tuple[list[int], list[Exception]]:
    """Posts signed Stripe deliveries to our webhook from `workers` threads, each with its own
    client and database connection; the status of every answer, and what any thread raised."""
    answers: list[int] = []
    errors: list[Exception] = []

    def deliver(chunk):
        client = Client()
        try:
            for body, header in chunk:
                answers.append(
                    client.post(
                        "/donations/webhooks/stripe/",
                        data=body,
                        content_type="application/json",
                        HTTP_STRIPE_SIGNATURE=header,
                    ).status_code
                )
        except Exception as error:  # noqa: BLE001  (returned to the caller, who reports it)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(deliveries[i::workers],)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, errors
