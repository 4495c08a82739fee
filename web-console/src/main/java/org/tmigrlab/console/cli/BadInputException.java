package org.tmigrlab.console.cli;

/** Bad input from the user (flag, file); the CLI prints the message and exits with 2. */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
