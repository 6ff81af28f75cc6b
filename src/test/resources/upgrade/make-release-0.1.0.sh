set -e
B=http://localhost:17919
post() { curl -s -X POST "$B$1" -H 'Content-Type: application/json' -d "$2"; echo; }
u1=$(post /users '{"name":"홍길동","phone":"010-1234-5678"}'); echo "$u1"
u2=$(post /users '{"name":"김영희","phone":"010-9876-5432"}'); echo "$u2"
order() { post /orders "{\"user_id\":$1,\"name\":\"$2\",\"amount\":$3}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["merchant_uid"])'; }
imp() { python3 -c 'import sys,json;print(json.load(sys.stdin)["imp_uid"])'; }
# a card payment, paid
o1=$(order 1 '노트북 거치대' 15000); p1=$(post /sandbox/payments "{\"merchant_uid\":\"$o1\",\"amount\":15000}" | imp)
post /payments/complete "{\"imp_uid\":\"$p1\",\"merchant_uid\":\"$o1\"}"
# a virtual account, issued and deposited (SMS sent)
o2=$(order 1 '기계식 키보드' 89000); p2=$(post /sandbox/payments "{\"merchant_uid\":\"$o2\",\"amount\":89000,\"pay_method\":\"vbank\"}" | imp)
post /payments/complete "{\"imp_uid\":\"$p2\",\"merchant_uid\":\"$o2\"}"
sleep 1; post /sandbox/payments/$p2/deposit '{}'
# a virtual account still awaiting its deposit
o3=$(order 2 '모니터 암' 42000); p3=$(post /sandbox/payments "{\"merchant_uid\":\"$o3\",\"amount\":42000,\"pay_method\":\"vbank\"}" | imp)
post /payments/complete "{\"imp_uid\":\"$p3\",\"merchant_uid\":\"$o3\"}"
# a forged amount, refunded
o4=$(order 1 'USB-C 케이블' 9900); p4=$(post /sandbox/payments "{\"merchant_uid\":\"$o4\",\"amount\":99}" | imp)
post /payments/complete "{\"imp_uid\":\"$p4\",\"merchant_uid\":\"$o4\"}"
# a declined card: the order stays payable
o5=$(order 2 '마우스 패드' 12000); p5=$(post /sandbox/payments "{\"merchant_uid\":\"$o5\",\"amount\":12000,\"fail\":true}" | imp)
post /payments/complete "{\"imp_uid\":\"$p5\",\"merchant_uid\":\"$o5\"}"
# a paid order cancelled from the console (full), and one partly refunded
o6=$(order 2 '무선 충전기' 30000); p6=$(post /sandbox/payments "{\"merchant_uid\":\"$o6\",\"amount\":30000}" | imp)
post /payments/complete "{\"imp_uid\":\"$p6\",\"merchant_uid\":\"$o6\"}"
post /sandbox/payments/$p6/cancel '{"reason":"고객 변심"}'
o7=$(order 1 '책상 매트' 25000); p7=$(post /sandbox/payments "{\"merchant_uid\":\"$o7\",\"amount\":25000}" | imp)
post /payments/complete "{\"imp_uid\":\"$p7\",\"merchant_uid\":\"$o7\"}"
post /sandbox/payments/$p7/cancel '{"amount":5000,"reason":"부분 환불"}'
# an order never paid
o8=$(order 2 '케이블 타이' 3500)
sleep 2
echo "orders: $o1 $o2 $o3 $o4 $o5 $o6 $o7 $o8"
