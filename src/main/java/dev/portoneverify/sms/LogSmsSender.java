package dev.portoneverify.sms;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default sender: writes the message to the log, with the recipient masked. Replace it with your provider. */
public final class LogSmsSender implements SmsSender {
    private static final Logger log = LoggerFactory.getLogger(LogSmsSender.class);

    @Override
    public void send(String phone, String text) {
        log.info("SMS to {}: {}", Phones.mask(phone), text);
    }
}
