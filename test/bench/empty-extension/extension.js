// The empty extension of the activation benchmark (test/bench/activation.ts): the least an
// extension with a command can do at activation. Plain JavaScript, so nothing has to be built.
const vscode = require('vscode');

exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('emptyExtension.noop', () => undefined));
};

exports.deactivate = () => undefined;
