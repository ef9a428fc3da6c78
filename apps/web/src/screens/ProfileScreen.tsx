import { ProfilePage } from '../identity';

export default function ProfileScreen() {
  return <ProfilePage />;
}
