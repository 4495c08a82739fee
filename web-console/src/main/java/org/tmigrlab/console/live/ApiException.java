package org.tmigrlab.console.live;

/**
 * A request the console refuses. {@link #code()} is the event-bus failure code the client sees
 * (HTTP-like: 400 bad request, 404 unknown experiment, 409 wrong state, 413 too large, 429 too
 * many); the message says what to fix, starting with the request field at fault.
 */
public final class ApiException extends RuntimeException {
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;
    public static final int TOO_LARGE = 413;
    public static final int TOO_MANY = 429;
    public static final int INTERNAL = 500;

    private final int code;

    public ApiException(int code, String message) {
        super(message);
        this.code = code;
    }

    public ApiException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public static ApiException bad(String message) {
        return new ApiException(BAD_REQUEST, message);
    }

    public int code() {
        return code;
    }
}
