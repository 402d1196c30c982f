package dev.javaformers.train;

/** transformers' learning-rate schedules, as a multiplier of the peak rate at each optimizer step. */
final class LrSchedule {

    private LrSchedule() {}

    static double factor(String type, long step, long warmup, long total) {
        if (!type.equals("constant") && step < warmup) {
            return (double) step / Math.max(1, warmup);
        }
        return switch (type) {
            case "linear" -> Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
            case "cosine" -> {
                double progress = (double) (step - warmup) / Math.max(1, total - warmup);
                yield Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress)));
            }
            default -> 1.0; // constant, constant_with_warmup after warmup
        };
    }
}
