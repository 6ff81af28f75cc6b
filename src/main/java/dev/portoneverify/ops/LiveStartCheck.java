package dev.portoneverify.ops;

import dev.portoneverify.portone.PortOneAuthException;
import dev.portoneverify.portone.PortOneClient;
import dev.portoneverify.portone.PortOneException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a live start checks before it listens, so that the shop owner, not the first buyer, finds out
 * that the keys are wrong. One token request to PortOne: credentials PortOne rejects stop the start;
 * a PortOne that cannot be reached does not (it may be a moment's outage, and the server retries on
 * every request), but the log says what will fail until it can be reached.
 */
public final class LiveStartCheck {
    private LiveStartCheck() {}

    /** Empty when PortOne took the credentials or could not be asked; else the one line to stop with. */
    public static Optional<String> credentials(PortOneClient portone, List<String> warnings) {
        try {
            portone.checkCredentials();
            return Optional.empty();
        } catch (PortOneAuthException e) {
            return Optional.of("PortOne rejected PORTONE_API_KEY / PORTONE_API_SECRET (" + e.getMessage()
                    + "); copy both again from the PortOne console (상점·계정 관리 > 내 식별코드·API Keys)");
        } catch (PortOneException e) {
            warnings.add("PortOne could not be asked for an access token at start-up (" + e.getMessage() + "); "
                    + "starting anyway. Until it answers, payments cannot be verified (503 portone_unavailable), "
                    + "new orders are refused while PREPARE_AMOUNTS is on (502 prepare_failed), refunds wait, "
                    + "and GET /health reports not ready");
            return Optional.empty();
        }
    }

    /** Settings that live mode can start without but that a page needs: one warning each, naming the page. */
    public static List<String> settings(String merchantCode) {
        List<String> warnings = new ArrayList<>();
        if (merchantCode == null) {
            warnings.add("PORTONE_MERCHANT_CODE is not set: the checkout page (/, src/main/resources/public/checkout.js) "
                    + "cannot open PortOne's payment window without it (IMP.init takes the merchant code, "
                    + "가맹점 식별코드 imp...); verification, webhooks and the admin API work without it");
        }
        return warnings;
    }
}
