package dev.portoneverify.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.user.BuyerAccess;
import dev.portoneverify.user.UserDao;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.Money;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Currency;
import java.util.Locale;

public final class OrderHandler {
    private final OrderDao orders;
    private final UserDao users;
    private final BuyerAccess buyers;
    private final MerchantUids merchantUids;
    private final AmountRegistration amounts;
    private final ObjectMapper json;
    private final Clock clock;

    public OrderHandler(OrderDao orders, UserDao users, BuyerAccess buyers, MerchantUids merchantUids,
                        AmountRegistration amounts, ObjectMapper json, Clock clock) {
        this.orders = orders;
        this.users = users;
        this.buyers = buyers;
        this.merchantUids = merchantUids;
        this.amounts = amounts;
        this.json = json;
        this.clock = clock;
    }

    public void create(Context ctx) {
        RequestBody body = RequestBody.json(ctx, json);
        long userId = body.positiveLong("user_id");
        String name = body.text("name", 40);
        String currency = currency(body.optionalText("currency", 3));
        BigDecimal amount = Money.amount("amount", body.decimal("amount"), currency);
        ApiException unknown = new ApiException(422, "unknown_user",
                "no user with this user_id for this token; create one with POST /users");
        // only for the buyer's own token: anyone else's orders would put their virtual accounts
        // and SMS on this buyer (issue 15)
        buyers.check(ctx, userId, unknown);
        if (users.find(userId).isEmpty()) {
            throw unknown;
        }
        String merchantUid = merchantUids.next();
        // registered first: an order PortOne would not protect is never created
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, merchantUid);
        amounts.register(merchantUid, amount, currency);
        orders.insert(merchantUid, userId, name, amount, currency, clock.instant());
        ctx.status(201).json(view(merchantUid));
    }

    public void get(Context ctx) {
        String merchantUid = ctx.pathParam("merchantUid");
        if (merchantUid.length() > 40 || !RequestBody.isPlainText(merchantUid)) {
            throw ApiException.badRequest("merchant_uid is at most 40 characters of plain text");
        }
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, merchantUid);
        ctx.json(view(merchantUid));
    }

    private OrderView view(String merchantUid) {
        Order order = orders.find(merchantUid)
                .orElseThrow(() -> ApiException.notFound("unknown_order", "no order with this merchant_uid"));
        VerifiedPayment payment = order.impUid() == null ? null : orders.findPayment(order.impUid()).orElse(null);
        return OrderView.of(order, payment);
    }

    private static String currency(String code) {
        if (code == null) {
            return "KRW";
        }
        String upper = code.toUpperCase(Locale.ROOT);
        try {
            // codes without minor units defined (XXX "no currency", XAU gold, ...) are no money to charge
            if (Currency.getInstance(upper).getDefaultFractionDigits() >= 0) {
                return upper;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.badRequest("currency must be an ISO 4217 code such as KRW or USD");
    }
}
