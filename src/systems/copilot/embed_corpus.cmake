# Writes the intent corpus as a C++ string constant (a raw string literal;
# the corpus must not contain the delimiter )corpus").
file(READ ${INPUT} CORPUS)
string(FIND "${CORPUS}" ")corpus\"" FOUND)
if(NOT FOUND EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE ${OUTPUT}.tmp
  "// Generated from corpus/intents.tsv by embed_corpus.cmake; do not edit.\n"
  "namespace futureim::systems::copilot {\n"
  "extern const char* const kIntentCorpusText;\n"
  "const char* const kIntentCorpusText = R\"corpus(${CORPUS})corpus\";\n"
  "}  // namespace futureim::systems::copilot\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
