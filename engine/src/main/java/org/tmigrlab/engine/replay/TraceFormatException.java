package org.tmigrlab.engine.replay;

/**
 * The input is not an ftrace text capture at all (empty, binary, unreadable, corrupt gzip, or no
 * line that looks like an event). The message names the file and, where there is one, the line;
 * the CLI prints it and exits with 2. Lines a reader merely does not understand inside a real
 * trace are not errors: {@link TraceReader} counts them.
 */
public final class TraceFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;

    /**
     * @param file   the file as the user named it
     * @param line   1-based line number, or 0 when the problem is not at a line
     * @param reason what is wrong
     */
    public TraceFormatException(String file, long line, String reason) {
        super(file + ": " + (line > 0 ? "line " + line + ": " : "") + reason);
        this.file = file;
        this.line = line;
    }

    public TraceFormatException(String file, long line, String reason, Throwable cause) {
        this(file, line, reason);
        initCause(cause);
    }

    public String file() {
        return file;
    }

    /** 1-based line number, 0 if none. */
    public long line() {
        return line;
    }
}
