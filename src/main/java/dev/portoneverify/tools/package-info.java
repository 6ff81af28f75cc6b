/**
 * The jar's commands besides serving: {@code self-test} ({@code tools.selftest}) and {@code migrate-db}
 * ({@code tools.migrate}). {@code Main} dispatches to them and hands them what they need from the
 * composition root, so that they do not import it.
 */
package dev.portoneverify.tools;
