"""The model tier: backends behind one interface, prompts, and the judge the engine calls."""
