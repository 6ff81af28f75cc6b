/**
 * How {@link dev.portoneverify.db.Database} runs SQLite fast enough for a flash sale: one kept-open
 * connection that every call takes in turn ({@code SqliteConnections}), its prepared statements kept
 * for reuse ({@code SqliteStatements}), one writer thread that commits the verifications queued
 * meanwhile in one transaction ({@code GroupCommit}), and a thread that copies the write-ahead log into
 * the database file off the writer's commits ({@code WalCheckpointer}). Each is here because the
 * benchmark measured what it saves (bench/README.md).
 *
 * <p>A first reading can skip this package: nothing outside {@code db} uses it (ArchitectureTest), and
 * the rest of the code sees only {@code Database}, {@code Transactions} and {@code Transaction}, which
 * behave the same on PostgreSQL.
 */
package dev.portoneverify.db.sqlite;
