/**
 * Database access: opening SQLite or PostgreSQL from {@code DATABASE_URL} ({@link
 * dev.portoneverify.db.Database}, {@link dev.portoneverify.db.DatabaseSettings}), exact money and time
 * types for each, the schema, and the write transactions of the verification path ({@link
 * dev.portoneverify.db.Transactions}). Knows Jdbi and JDBC, and no feature.
 */
package dev.portoneverify.db;
