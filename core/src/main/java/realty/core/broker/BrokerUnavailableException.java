package realty.core.broker;

import java.io.IOException;

/** The broker cannot be reached or did not confirm a publish. */
public class BrokerUnavailableException extends IOException {
    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
