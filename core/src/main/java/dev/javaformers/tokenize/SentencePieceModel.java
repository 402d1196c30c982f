package dev.javaformers.tokenize;

import dev.javaformers.util.Protobuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a SentencePiece {@code ModelProto} ({@code spiece.model}, {@code source.spm},
 * {@code tokenizer.model}) that transformers' converters read: the pieces with their scores and types, the model
 * type, byte fallback, the unknown piece and the normalizer's precompiled character map.
 */
record SentencePieceModel(List<Piece> pieces, int modelType, boolean byteFallback, int unkId, String unkPiece,
        byte[] precompiledCharsmap, Path file) {

    static final int UNIGRAM = 1;
    static final int BPE = 2;

    /** A piece; {@code type} is SentencePiece's enum (1 normal, 2 unknown, 3 control, 4 user defined, 6 byte). */
    record Piece(String piece, float score, int type) {}

    // ModelProto, SentencePiece, TrainerSpec and NormalizerSpec field numbers (sentencepiece_model.proto)
    private static final int MODEL_PIECES = 1;
    private static final int MODEL_TRAINER_SPEC = 2;
    private static final int MODEL_NORMALIZER_SPEC = 3;
    private static final int PIECE_TEXT = 1;
    private static final int PIECE_SCORE = 2;
    private static final int PIECE_TYPE = 3;
    private static final int TRAINER_MODEL_TYPE = 3;
    private static final int TRAINER_BYTE_FALLBACK = 35;
    private static final int TRAINER_UNK_ID = 40;
    private static final int TRAINER_UNK_PIECE = 45;
    private static final int NORMALIZER_CHARSMAP = 2;

    static SentencePieceModel read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(ByteBuffer.wrap(bytes), file);
        } catch (Protobuf.MalformedException e) {
            throw new IllegalArgumentException(file + " is not a SentencePiece model: " + e.getMessage(), e);
        }
    }

    private static SentencePieceModel parse(ByteBuffer bytes, Path file) {
        String what = file.toString();
        List<Protobuf.Field> model = Protobuf.parse(bytes, what);
        List<Piece> pieces = new ArrayList<>();
        for (Protobuf.Field f : model) {
            if (f.number() == MODEL_PIECES && f.bytes() != null) {
                List<Protobuf.Field> p = f.message(what);
                ByteBuffer text = Protobuf.firstBytes(p, PIECE_TEXT);
                if (text == null) {
                    throw new IllegalArgumentException(file + ": piece " + pieces.size() + " has no text");
                }
                float score = Float.intBitsToFloat((int) Protobuf.first(p, PIECE_SCORE, 0));
                pieces.add(new Piece(new Protobuf.Field(PIECE_TEXT, 0, text).string(), score,
                        (int) Protobuf.first(p, PIECE_TYPE, 1)));
            }
        }
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException(file + " is not a SentencePiece model: it has no pieces");
        }
        ByteBuffer trainerBytes = Protobuf.firstBytes(model, MODEL_TRAINER_SPEC);
        List<Protobuf.Field> trainer = trainerBytes == null ? List.of() : Protobuf.parse(trainerBytes, what);
        ByteBuffer normalizerBytes = Protobuf.firstBytes(model, MODEL_NORMALIZER_SPEC);
        List<Protobuf.Field> normalizer = normalizerBytes == null ? List.of() : Protobuf.parse(normalizerBytes, what);
        ByteBuffer unkPiece = Protobuf.firstBytes(trainer, TRAINER_UNK_PIECE);
        ByteBuffer charsmap = Protobuf.firstBytes(normalizer, NORMALIZER_CHARSMAP);
        byte[] map = new byte[charsmap == null ? 0 : charsmap.remaining()];
        if (charsmap != null) {
            charsmap.duplicate().get(map);
        }
        int unkId = (int) Protobuf.first(trainer, TRAINER_UNK_ID, 0);
        if (unkId < 0 || unkId >= pieces.size()) {
            throw new IllegalArgumentException(file + ": unk_id " + unkId + " is outside its " + pieces.size()
                    + " pieces");
        }
        return new SentencePieceModel(List.copyOf(pieces), (int) Protobuf.first(trainer, TRAINER_MODEL_TYPE, UNIGRAM),
                Protobuf.first(trainer, TRAINER_BYTE_FALLBACK, 0) != 0, unkId,
                unkPiece == null ? "<unk>" : new Protobuf.Field(0, 0, unkPiece).string(), map, file);
    }

    String modelTypeName() {
        return switch (modelType) {
            case UNIGRAM -> "Unigram";
            case BPE -> "BPE";
            case 3 -> "Word";
            case 4 -> "Char";
            default -> "type " + modelType;
        };
    }
}
