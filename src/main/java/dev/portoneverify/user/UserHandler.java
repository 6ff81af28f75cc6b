package dev.portoneverify.user;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.RequestBody;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.regex.Pattern;

public final class UserHandler {
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 -]{6,18}[0-9]");

    private final UserDao users;
    private final BuyerTokenDao tokens;
    private final BuyerAccess access;
    private final ObjectMapper json;
    private final Clock clock;

    public UserHandler(UserDao users, BuyerTokenDao tokens, BuyerAccess access, ObjectMapper json, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.access = access;
        this.json = json;
        this.clock = clock;
    }

    public void create(Context ctx) {
        RequestBody body = RequestBody.json(ctx, json);
        String name = body.text("name", 40);
        String phone = body.text("phone", 20);
        if (!PHONE.matcher(phone).matches()) {
            throw ApiException.badRequest("phone must be a phone number such as 010-1234-5678");
        }
        long id = users.insert(name, phone, clock.instant());
        String token = access.newToken();
        tokens.insert(id, BuyerAccess.hash(token));
        ctx.status(201).json(UserView.of(users.find(id).orElseThrow(), token));
    }

    /** {@code GET /users/{id}}, for the buyer's own token (or ADMIN_TOKEN) only. */
    public void get(Context ctx) {
        long id = pathId(ctx);
        ApiException unknown = ApiException.notFound("unknown_user", "no user with this id for this token");
        access.check(ctx, id, unknown);
        ctx.json(UserView.of(users.find(id).orElseThrow(() -> unknown), null));
    }

    private static long pathId(Context ctx) {
        String raw = ctx.pathParam("id");
        // Long.parseLong would also take other scripts' digits, such as a fullwidth "１"
        if (!raw.matches("[0-9]{1,18}")) {
            throw ApiException.badRequest("user id must be a positive whole number");
        }
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("user id must be a positive whole number");
    }
}
