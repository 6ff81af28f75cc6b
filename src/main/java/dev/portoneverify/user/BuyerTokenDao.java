package dev.portoneverify.user;

import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The SHA-256 of each buyer's token (see {@link BuyerAccess}). */
public interface BuyerTokenDao {

    @SqlUpdate("INSERT INTO buyer_tokens (user_id, token_hash) VALUES (:userId, :hash)")
    void insert(long userId, String hash);

    @SqlQuery("SELECT token_hash FROM buyer_tokens WHERE user_id = :userId")
    Optional<String> hashOf(long userId);
}
