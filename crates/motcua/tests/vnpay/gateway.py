"""A loopback payment gateway speaking the VNPay 2.1.0 merchant protocol, written apart from
motcua's own code (Python's hmac, hashlib and urllib): it checks the payment URL's checksum,
"pays", calls the merchant's IPN with a signed answer, sends the browser back to the return
URL, and answers querydr. The test drives it through /control.

Usage: gateway.py PORT_FILE TMN_CODE SECRET IPN_URL
"""

import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT_FILE, TMN, SECRET, IPN_URL = sys.argv[1:5]
KEY = SECRET.encode()

orders = {}  # reference -> the order's parameters (as sent) and its state
ipn_log = []  # (reference, query sent, merchant's reply)
state = {"mode": "pay", "next_txn": 14270000}
lock = threading.Lock()


def php_encode(text):
    # PHP's urlencode: letters, digits and -_. kept, space as +, the rest %XX.
    return urllib.parse.quote_plus(text, safe="-_.").replace("~", "%7E")


def hash_of(params):
    data = "&".join(
        php_encode(k) + "=" + php_encode(v)
        for k, v in sorted(params.items())
        if k.startswith("vnp_") and v != "" and k not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    return hmac.new(KEY, data.encode(), hashlib.sha512).hexdigest()


def pipe_hash(values):
    return hmac.new(KEY, "|".join(values).encode(), hashlib.sha512).hexdigest()


def answer_params(order, code="00", status="00", amount=None):
    with lock:
        state["next_txn"] += 1
        txn = str(state["next_txn"])
    params = {
        "vnp_Amount": str(amount if amount is not None else order["vnp_Amount"]),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP" + txn,
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": order["vnp_OrderInfo"],
        "vnp_PayDate": time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + 7 * 3600)),
        "vnp_ResponseCode": code,
        "vnp_TmnCode": TMN,
        "vnp_TransactionNo": txn,
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": order["vnp_TxnRef"],
    }
    params["vnp_SecureHash"] = hash_of(params)
    return params


def call_ipn(reference, params):
    query = urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(IPN_URL + "?" + query, timeout=10) as r:
            reply = json.loads(r.read().decode())
    except Exception as e:  # noqa: BLE001 - the reply is what the test reads
        reply = {"error": str(e)}
    with lock:
        ipn_log.append({"reference": reference, "query": query, "reply": reply})
    return reply


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        if url.path == "/paymentv2/vpcpay.html":
            return self.pay(params)
        if url.path == "/control/ipn-log":
            with lock:
                return self.send(200, json.dumps(ipn_log))
        self.send(404, "{}")

    def pay(self, params):
        given = params.get("vnp_SecureHash", "")
        if not hmac.compare_digest(given.lower(), hash_of(params)):
            return self.send(400, "Sai chu ky (code=70)", "text/plain")
        if params.get("vnp_TmnCode") != TMN or params.get("vnp_Version") != "2.1.0":
            return self.send(400, "Website chua duoc phe duyet (code=71)", "text/plain")
        for field in ("vnp_Amount", "vnp_TxnRef", "vnp_ReturnUrl", "vnp_CreateDate", "vnp_IpAddr"):
            if not params.get(field):
                return self.send(400, "Thieu " + field, "text/plain")
        reference = params["vnp_TxnRef"]
        with lock:
            orders[reference] = {"order": params, "paid": False}
            mode = state["mode"]
        order = params
        if mode == "decline":
            answer = answer_params(order, code="24", status="02")
            call_ipn(reference, answer)
        else:
            answer = answer_params(order)
            with lock:
                orders[reference]["paid"] = True
                orders[reference]["answer"] = answer
            if mode == "pay":
                call_ipn(reference, answer)
        back = order["vnp_ReturnUrl"] + "?" + urllib.parse.urlencode(answer)
        self.send(302, "", "text/plain", [("Location", back)])

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        if url.path == "/control/mode":
            with lock:
                state["mode"] = body.strip()
            return self.send(200, "{}")
        if url.path == "/control/ipn":
            return self.control_ipn(json.loads(body))
        if url.path == "/merchant_webapi/api/transaction":
            return self.querydr(json.loads(body))
        self.send(404, "{}")

    def control_ipn(self, ask):
        """Sends an IPN for a known order: again (a replay), with another amount (re-signed),
        or with a forged checksum."""
        with lock:
            known = orders.get(ask["reference"])
        if known is None:
            order = {"vnp_Amount": "100000", "vnp_OrderInfo": "x", "vnp_TxnRef": ask["reference"]}
            answer = answer_params(order)
        elif ask.get("replay") and "answer" in known:
            answer = dict(known["answer"])
        else:
            answer = answer_params(known["order"], amount=ask.get("amount"))
        if ask.get("forge"):
            answer["vnp_Amount"] = str(int(answer["vnp_Amount"]) + 100)
        reply = call_ipn(ask["reference"], answer)
        self.send(200, json.dumps(reply))

    def querydr(self, q):
        text = [q.get(k, "") for k in (
            "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
            "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")]
        if not hmac.compare_digest(q.get("vnp_SecureHash", "").lower(), pipe_hash(text)):
            reply = {"vnp_ResponseCode": "97", "vnp_Message": "Invalid Checksum"}
            return self.send(200, json.dumps(reply))
        with lock:
            known = orders.get(q.get("vnp_TxnRef"))
        reply = {
            "vnp_ResponseId": "R" + q.get("vnp_RequestId", ""),
            "vnp_Command": "querydr",
            "vnp_TmnCode": TMN,
            "vnp_TxnRef": q.get("vnp_TxnRef", ""),
            "vnp_OrderInfo": q.get("vnp_OrderInfo", ""),
            "vnp_TransactionType": "01",
            "vnp_PromotionCode": "",
            "vnp_PromotionAmount": "",
        }
        if known is None:
            reply.update({"vnp_ResponseCode": "91", "vnp_Message": "Not found",
                          "vnp_Amount": "", "vnp_BankCode": "", "vnp_PayDate": "",
                          "vnp_TransactionNo": "", "vnp_TransactionStatus": ""})
        else:
            a = known.get("answer") or answer_params(known["order"], code="00", status="01")
            reply.update({"vnp_ResponseCode": "00", "vnp_Message": "QueryDR Success",
                          "vnp_Amount": a["vnp_Amount"], "vnp_BankCode": a["vnp_BankCode"],
                          "vnp_PayDate": a["vnp_PayDate"], "vnp_TransactionNo": a["vnp_TransactionNo"],
                          "vnp_TransactionStatus": a["vnp_TransactionStatus"] if known["paid"] else "01"})
        reply["vnp_SecureHash"] = pipe_hash([reply[k] for k in (
            "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
            "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
            "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
            "vnp_PromotionAmount")])
        self.send(200, json.dumps(reply))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402

os.replace(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
