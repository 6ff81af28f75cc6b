/**
 * The HTTP kit every handler uses: reading and bounding a request body ({@link
 * dev.portoneverify.web.RequestBody}), the {@code {status, message}} answer and the 4xx it is thrown
 * as ({@link dev.portoneverify.web.StatusMessage}, {@link dev.portoneverify.web.ApiException}), request
 * ids in logs, the one Jackson set-up, and Jetty's own errors as JSON. Knows Javalin, and no feature.
 */
package dev.portoneverify.web;
