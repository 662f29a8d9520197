class Session(object):
    def __init__(self):
        self._components = {"data_loader": object()}

    def get_component(self, name):
        return self._components[name]

    def register_component(self, name, component):
        self._components[name] = component
