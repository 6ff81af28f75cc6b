package dev.portoneverify.web;

/** The one body shape of every answer that is not a resource: {@code {"status": ..., "message": ...}}. */
public record StatusMessage(String status, String message) {}
