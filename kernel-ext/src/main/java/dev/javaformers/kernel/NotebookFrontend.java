package dev.javaformers.kernel;

import dev.javaformers.train.Frontend;
import dev.javaformers.train.TrainerCallback;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * A notebook as the frontend of the code a cell runs: a Trainer's progress is a live display ({@link
 * LiveTraining}) and shown values go to the cell's output through the kernel's renderers.
 */
final class NotebookFrontend implements Frontend {

    private final BaseKernel kernel;

    NotebookFrontend(BaseKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public TrainerCallback trainingProgress() {
        return new LiveTraining(kernel);
    }

    @Override
    public boolean show(Object value) {
        kernel.display(kernel.getRenderer().render(value));
        return true;
    }
}
