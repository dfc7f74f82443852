// Replaced by the Prolly tree implementation.
import EngramIPLD
