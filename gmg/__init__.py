"""gmg: an interactive explainer of goal misgeneralization in grid mazes."""

from gymnasium.envs.registration import register, registry

__version__ = "0.1.0"

if "gmg/CueMaze-v0" not in registry:
    register(id="gmg/CueMaze-v0", entry_point="gmg.env:CueMazeEnv")
