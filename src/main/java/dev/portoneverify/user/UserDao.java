package dev.portoneverify.user;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(User.class)
public interface UserDao {

    @SqlUpdate("""
            INSERT INTO users (name, phone, created_at)
            VALUES (:name, :phone, :createdAt)
            """)
    @GetGeneratedKeys("id")
    long insert(String name, String phone, Instant createdAt);

    @SqlQuery("SELECT * FROM users WHERE id = :id")
    Optional<User> find(long id);

    @SqlUpdate("""
            UPDATE users
               SET vbank_num = :num, vbank_name = :bank, vbank_holder = :holder, vbank_date = :deadline
             WHERE id = :id
            """)
    void saveVbank(long id, String num, String bank,
                   String holder, Instant deadline);
}
