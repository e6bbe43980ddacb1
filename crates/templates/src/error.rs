//! What can go wrong when a project is rendered or zipped.

/// Why a project cannot be rendered or zipped. Every variant is a message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// An option (short name, workflow id, target db, top N, recipe) is not usable.
    Option {
        /// The option's name, as the CLI spells it (`short-name`).
        option: &'static str,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The pipeline spec cannot become a project (no steps, a DDL that does not parse…).
    Spec(String),
    /// The zip could not be written.
    Zip(String),
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::Option { option, message } => write!(f, "option {option}: {message}"),
            TemplateError::Spec(message) => write!(f, "pipeline: {message}"),
            TemplateError::Zip(message) => write!(f, "zip: {message}"),
        }
    }
}

impl std::error::Error for TemplateError {}

impl From<dataflow_engine::EngineError> for TemplateError {
    fn from(error: dataflow_engine::EngineError) -> Self {
        TemplateError::Spec(error.to_string())
    }
}
