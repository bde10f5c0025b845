package dev.gatehouse.token;

/** An enum stored as the lower-case name its column's check constraint lists. */
interface ColumnValue {
    String column();

    /** The constant stored as {@code value}; an unknown one means the schema and the code disagree. */
    static <E extends Enum<E> & ColumnValue> E fromColumn(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.column().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " " + value);
    }
}
