import EngramIPLD
print("x")
