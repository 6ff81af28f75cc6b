package dev.portoneverify.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.portoneverify.sms.Phones;
import java.time.Instant;

/**
 * A buyer as the API shows them: the phone number masked to its last four digits (only the admin
 * API shows it whole), and the buyer's token only in the answer that created them.
 */
public record UserView(
        long id,
        String name,
        String phone,
        String vbankNum,
        String vbankName,
        String vbankHolder,
        Instant vbankDate,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String token) {

    static UserView of(User user, String token) {
        return new UserView(user.id(), user.name(), Phones.mask(user.phone()), user.vbankNum(), user.vbankName(),
                user.vbankHolder(), user.vbankDate(), user.createdAt(), token);
    }
}
