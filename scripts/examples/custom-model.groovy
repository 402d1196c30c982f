// A model of your own, registered as transformers' AutoConfig.register("new-model", NewModelConfig) and
// AutoModel.register(NewModelConfig, NewModel) do, then trained with the same verbs as any other:
// a bag of word embeddings (their mean over the tokens) and a linear classifier.
//   scripts/jf run scripts/examples/custom-model.groovy [steps=N] [out=out]
def stepLimit = option('steps', -1)
def out = option('out', 'out')

class BagConfig extends PretrainedConfig {
    public int vocabSize = 30522
    public int hiddenSize = 64

    String getModelType() { 'bag-of-embeddings' }
}

class BagForSequenceClassification extends PreTrainedModel<SequenceClassifierOutput> {
    final Layers.Embedding embed
    final Layers.Linear classifier

    BagForSequenceClassification(BagConfig config, NDManager manager) {
        super(config, manager)
        embed = register('embed', new Layers.Embedding(manager, config.vocabSize, config.hiddenSize, 0.02, 0))
        classifier = register('classifier', new Layers.Linear(manager, config.hiddenSize, config.numLabels(), 0.02))
    }

    String baseModelPrefix() { 'bag' }

    SequenceClassifierOutput forward(Map<String, NDArray> inputs) {
        NDArray mask = inputs.attention_mask.toType(DataType.FLOAT32, false).expandDims(-1)
        NDArray mean = embed.forward(inputs.input_ids).mul(mask).sum([1] as int[]).div(mask.sum([1] as int[]))
        NDArray logits = classifier.forward(mean)
        NDArray loss = inputs.labels == null ? null : Losses.sequenceClassification(config(), logits, inputs.labels)
        new SequenceClassifierOutput(loss, logits)
    }
}

AutoConfig.register('bag-of-embeddings', BagConfig)
AutoModelForSequenceClassification.register(BagConfig, BagForSequenceClassification)

// A fresh model saved as a Hub-style folder (config.json with model_type 'bag-of-embeddings', model.safetensors) ...
def folder = "$out/bag-model"
AutoModelForSequenceClassification.fromConfig(AutoConfig.forModel('bag-of-embeddings', [num_labels: 2])).withCloseable {
    it.save(java.nio.file.Path.of(folder))
}

// ... loads by its model_type and trains like any other, with MiniLM's tokenizer.
model folder
tokenizer 'sentence-transformers/all-MiniLM-L6-v2'
dataset builtin('sentiment-sentences')
split 0.2
tokenize 'text' < max_length 64 >
def metrics = train < epochs 3, steps stepLimit, batch 32, lr 5e-3, output "$out/bag-run" >
println "${model.getClass().simpleName}: ${model.numParameters()} parameters, " +
        "eval accuracy ${metrics.eval_accuracy.round(3)}"
println predict('I loved every minute of this film.')
