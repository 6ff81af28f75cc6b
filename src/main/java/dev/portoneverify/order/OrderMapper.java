package dev.portoneverify.order;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * An orders row as an {@link Order}. Written out rather than a ConstructorMapper because every
 * verification reads one order, and the ConstructorMapper inspects the result set's columns and the
 * record's parameters again for every query (issue 5). Money and time columns still go through the
 * database's own column mappers (see Database), looked up once per query.
 */
public final class OrderMapper implements RowMapper<Order> {
    @Override
    public RowMapper<Order> specialize(ResultSet rs, StatementContext ctx) {
        ColumnMapper<BigDecimal> money = ctx.findColumnMapperFor(BigDecimal.class).orElseThrow();
        ColumnMapper<Instant> time = ctx.findColumnMapperFor(Instant.class).orElseThrow();
        return (row, context) -> new Order(
                row.getString("merchant_uid"),
                row.getLong("user_id"),
                row.getString("name"),
                money.map(row, "amount", context),
                row.getString("currency"),
                OrderStatus.fromWire(row.getString("status")),
                row.getString("imp_uid"),
                time.map(row, "created_at", context),
                time.map(row, "updated_at", context));
    }

    @Override
    public Order map(ResultSet rs, StatementContext ctx) throws SQLException {
        return specialize(rs, ctx).map(rs, ctx);
    }
}
