// A tiny event emitter, written for LSTM Lens's held-out sample: code the
// bundled model never saw while training.
'use strict';

class EventEmitter {
  constructor() {
    this.listeners = new Map();
  }

  on(name, listener) {
    if (typeof listener !== 'function') {
      throw new TypeError('listener must be a function');
    }
    const list = this.listeners.get(name) || [];
    list.push({ listener, once: false });
    this.listeners.set(name, list);
    return () => this.off(name, listener);
  }

  once(name, listener) {
    const dispose = this.on(name, listener);
    const list = this.listeners.get(name);
    list[list.length - 1].once = true;
    return dispose;
  }

  off(name, listener) {
    const list = this.listeners.get(name);
    if (!list) {
      return false;
    }
    const index = list.findIndex((entry) => entry.listener === listener);
    if (index < 0) {
      return false;
    }
    list.splice(index, 1);
    if (list.length === 0) {
      this.listeners.delete(name);
    }
    return true;
  }

  emit(name, ...args) {
    const list = this.listeners.get(name);
    if (!list) {
      return 0;
    }
    let called = 0;
    for (const entry of [...list]) {
      if (entry.once) {
        this.off(name, entry.listener);
      }
      entry.listener.apply(this, args);
      called++;
    }
    return called;
  }

  listenerCount(name) {
    const list = this.listeners.get(name);
    return list ? list.length : 0;
  }
}

function debounce(fn, ms) {
  let timer = null;
  return function debounced(...args) {
    if (timer !== null) {
      clearTimeout(timer);
    }
    timer = setTimeout(() => {
      timer = null;
      fn.apply(this, args);
    }, ms);
  };
}

module.exports = { EventEmitter, debounce };
