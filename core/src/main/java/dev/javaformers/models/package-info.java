/**
 * What every architecture shares: {@link dev.javaformers.models.PreTrainedModel} (loading, saving, the state
 * dict), the outputs, the losses, the {@link dev.javaformers.models.Task} enum and the one Auto factory,
 * {@link dev.javaformers.models.ModelFactory}, behind {@code AutoModel}, {@code AutoModelForSequenceClassification},
 * ... The architectures live one package each ({@code models.bert}, {@code models.roberta}, ...), holding the
 * config, the modeling and one {@link dev.javaformers.models.Architecture} class that lists the model per task;
 * this package finds them through {@link java.util.ServiceLoader} and imports none of them.
 */
package dev.javaformers.models;
