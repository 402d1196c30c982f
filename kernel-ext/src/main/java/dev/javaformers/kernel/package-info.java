/** The JShell-based Jupyter kernel and its extension: renderers and magics for Javaformers objects. */
package dev.javaformers.kernel;
