package dev.portoneverify.user;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
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
    long insert(@Bind("name") String name, @Bind("phone") String phone, @Bind("createdAt") Instant createdAt);

    @SqlQuery("SELECT * FROM users WHERE id = :id")
    Optional<User> find(@Bind("id") long id);

    @SqlUpdate("""
            UPDATE users
               SET vbank_num = :num, vbank_name = :bank, vbank_holder = :holder, vbank_date = :deadline
             WHERE id = :id
            """)
    void saveVbank(@Bind("id") long id, @Bind("num") String num, @Bind("bank") String bank,
                   @Bind("holder") String holder, @Bind("deadline") Instant deadline);
}
