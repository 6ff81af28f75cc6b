package dev.portoneverify.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import dev.portoneverify.user.UserDao;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Currency;
import java.util.Locale;

public final class OrderHandler {
    /** Far above any real order; keeps absurd numbers out of the database and PortOne calls. */
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("100000000000");

    private final OrderDao orders;
    private final UserDao users;
    private final MerchantUids merchantUids;
    private final AmountRegistration amounts;
    private final ObjectMapper json;
    private final Clock clock;

    public OrderHandler(OrderDao orders, UserDao users, MerchantUids merchantUids, AmountRegistration amounts,
                        ObjectMapper json, Clock clock) {
        this.orders = orders;
        this.users = users;
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
        BigDecimal amount = amount(body.decimal("amount"), currency);
        if (users.find(userId).isEmpty()) {
            throw new ApiException(422, "unknown_user", "no user with id " + userId + "; create one with POST /users");
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
                .orElseThrow(() -> ApiException.notFound("unknown_order", "no order with merchant_uid " + merchantUid));
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

    /** Positive, below the cap, and with no more decimals than the currency has (none for KRW). */
    private static BigDecimal amount(BigDecimal amount, String currency) {
        if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw ApiException.badRequest("amount must be greater than 0 and at most " + MAX_AMOUNT.toPlainString());
        }
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        BigDecimal normalized = amount.stripTrailingZeros();
        if (normalized.scale() > digits) {
            throw ApiException.badRequest("amount has more decimals than " + currency + " allows (" + digits + ")");
        }
        return normalized.scale() < 0 ? normalized.setScale(0) : normalized;
    }
}
