package dev.javaformers.weights;

import ai.djl.ndarray.types.DataType;

/** The element types of checkpoint tensors, with their safetensors names and sizes. */
public enum DType {
    F64(8, DataType.FLOAT64),
    F32(4, DataType.FLOAT32),
    F16(2, DataType.FLOAT16),
    /** Widened to F32 on the way into DJL: BF16 arrays crash DJL 0.36 without an exception. */
    BF16(2, DataType.FLOAT32),
    I64(8, DataType.INT64),
    I32(4, DataType.INT32),
    I16(2, DataType.INT16),
    I8(1, DataType.INT8),
    U8(1, DataType.UINT8),
    BOOL(1, DataType.BOOLEAN);

    private final int bytes;
    private final DataType djl;

    DType(int bytes, DataType djl) {
        this.bytes = bytes;
        this.djl = djl;
    }

    public int bytes() {
        return bytes;
    }

    /** The DJL type an array of this dtype is created with. */
    public DataType djlType() {
        return djl;
    }

    /** The safetensors name ({@code "F32"}), or null if unknown. */
    public static DType fromSafetensors(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The dtype of a DJL array. */
    public static DType of(DataType type) {
        for (DType d : values()) {
            if (d != BF16 && d.djl == type) {
                return d;
            }
        }
        throw new IllegalArgumentException("No checkpoint dtype for DJL type " + type);
    }

    /** transformers' {@code torch_dtype} strings: "float32", "float16", "bfloat16". */
    public static DType fromTorchName(String name) {
        return switch (name) {
            case "float32", "float" -> F32;
            case "float16", "half" -> F16;
            case "bfloat16" -> BF16;
            case "float64", "double" -> F64;
            default -> throw new IllegalArgumentException("Unknown torch_dtype '" + name
                    + "'; expected float32, float16 or bfloat16");
        };
    }

    public String torchName() {
        return switch (this) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case F64 -> "float64";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
