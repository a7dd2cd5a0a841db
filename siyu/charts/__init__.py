"""Chart builders: DataFrame in, Plotly figure out; never call st.*."""
