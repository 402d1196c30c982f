// Imports for Javaformers in JShell (loaded by scripts/jshell after the default startup).
import dev.javaformers.hub.*;
import dev.javaformers.config.*;
import dev.javaformers.models.*;
import dev.javaformers.generation.*;
import dev.javaformers.tokenize.*;
import dev.javaformers.data.*;
import dev.javaformers.train.*;
import dev.javaformers.chart.*;
import dev.javaformers.onnx.*;
import dev.javaformers.pipelines.*;
import ai.djl.ndarray.*;
import java.nio.file.*;
