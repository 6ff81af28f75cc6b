package dev.portoneverify.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads the lower-case status column into {@link OrderStatus}. */
public final class OrderStatusColumnMapper implements ColumnMapper<OrderStatus> {
    @Override
    public OrderStatus map(ResultSet rs, int column, StatementContext ctx) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : OrderStatus.fromWire(value);
    }
}
