package org.tmigrlab.topologies.machine;

import java.nio.file.Path;

/**
 * A machine description (sysfs tree, hwloc XML, lscpu output, synthetic counts) that cannot be
 * used. The message reads on its own: {@code FILE: WHERE: REASON}, where {@code WHERE} is a line
 * (and column), an XML element or a sysfs file, and is left out when the whole input is wrong.
 */
public final class MachineFormatException extends RuntimeException {
    private final String source;
    private final String where;
    private final String reason;

    public MachineFormatException(String source, String where, String reason) {
        this(source, where, reason, null);
    }

    public MachineFormatException(String source, String where, String reason, Throwable cause) {
        super(source + (where.isEmpty() ? "" : ": " + where) + ": " + reason, cause);
        this.source = source;
        this.where = where;
        this.reason = reason;
    }

    static MachineFormatException in(Path file, String where, String reason) {
        return new MachineFormatException(file.toString(), where, reason);
    }

    /** The file or directory read (or {@code synthetic}). */
    public String source() {
        return source;
    }

    /** Line, element or file inside {@link #source()}; empty when the input as a whole is wrong. */
    public String where() {
        return where;
    }

    /** What is wrong, without the location. */
    public String reason() {
        return reason;
    }
}
