import { render } from 'preact';
import { WelcomeApp } from '@/components/welcome/WelcomeApp';
import '@/components/ui/ui.css';
import '@/components/welcome/welcome.css';

// The welcome page (chrome-extension://<id>/welcome.html): opened once, on install
// (utils/background/onboarding.ts), never on an update.
render(<WelcomeApp />, document.getElementById('app')!);
